package io.sluice.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice completion bash|zsh}: a completion script for the shell, generated from the
 * command definitions by picocli, plus task names and their parameters, which it asks {@code
 * sluice list} for as the user types (zsh runs the bash script through bashcompinit).
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = {"Prints a completion script for bash or zsh. Install it with:",
        "  bash: source <(sluice completion bash)     (e.g. in ~/.bashrc)",
        "  zsh:  source <(sluice completion zsh)      (e.g. in ~/.zshrc)"})
final class CompletionCommand implements Callable<Integer> {

  /** Completes task names and parameters: picocli knows the commands, not the project's tasks. */
  private static final String DYNAMIC = """

      # Task names and their --parameters come from the project in the working directory.
      _sluice_dynamic() {
        # zsh (bashcompinit) numbers array elements from 1 unless told otherwise.
        [ -n "${ZSH_VERSION:-}" ] && setopt local_options KSH_ARRAYS
        local cur="${COMP_WORDS[COMP_CWORD]}" cmd="" task="" w i
        local -a project=()
        for ((i = 1; i < COMP_CWORD; i++)); do
          w="${COMP_WORDS[i]}"
          case "$w" in
            -cp|--classpath|--config|--module)
              project+=("$w" "${COMP_WORDS[i+1]}"); i=$((i + 1)); continue ;;
            -w|--workers|--lock-timeout|--timeout-grace|--state-dir|--report|--backend|--force-upstream)
              i=$((i + 1)); continue ;;
            -*) continue ;;
          esac
          if [[ -z "$cmd" ]]; then cmd="$w"; elif [[ -z "$task" ]]; then task="$w"; fi
        done
        case "$cmd" in
          run|deps|graph)
            if [[ -z "$task" && "$cur" != -* ]]; then
              COMPREPLY=($(compgen -W "$(command sluice list --names "${project[@]}" 2>/dev/null)" -- "$cur"))
              return 0
            fi
            if [[ -n "$task" && "$cur" == -* ]]; then
              _complete_sluice "$@"
              COMPREPLY+=($(compgen -W "$(command sluice list --params "$task" "${project[@]}" 2>/dev/null)" -- "$cur"))
              return 0
            fi ;;
        esac
        _complete_sluice "$@"
      }
      complete -F _sluice_dynamic -o default sluice
      """;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
  String shell;

  @Override
  public Integer call() {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw new CliException("Unknown shell '" + shell + "': sluice completes bash and zsh (sluice completion bash).");
    }
    CommandLine root = spec.root().commandLine();
    System.out.print(AutoComplete.bash("sluice", root));
    System.out.print(DYNAMIC);
    return 0;
  }
}
