package io.sluice.dist;

import java.util.ArrayList;
import java.util.List;

/** A fenced code block of a markdown page: the language named after its opening fence, and its lines. */
record CodeBlock(String language, String text) {

  /** The fenced blocks of the page, in order; an unclosed last block runs to the end. */
  static List<CodeBlock> of(String markdown) {
    List<CodeBlock> blocks = new ArrayList<>();
    String language = null;
    StringBuilder text = new StringBuilder();
    for (String line : markdown.lines().toList()) {
      String fence = line.strip();
      if (language == null && fence.startsWith("```")) {
        language = fence.substring(3).strip();
      } else if (language != null && fence.equals("```")) {
        blocks.add(new CodeBlock(language, text.toString()));
        language = null;
        text.setLength(0);
      } else if (language != null) {
        text.append(line).append('\n');
      }
    }
    if (language != null) {
      blocks.add(new CodeBlock(language, text.toString()));
    }
    return blocks;
  }

  /** The text of the page's blocks in this language, in order. */
  static List<String> of(String markdown, String language) {
    return of(markdown).stream().filter(b -> b.language().equals(language)).map(CodeBlock::text).toList();
  }
}
