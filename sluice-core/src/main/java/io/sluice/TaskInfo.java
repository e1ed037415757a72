package io.sluice;

import java.util.List;

/**
 * What {@code sluice list} and {@code --help} show of a task type.
 *
 * @param family its {@link Family} name, else the simple class name
 * @param type the class
 * @param description its {@link Description}, or empty
 * @param params its parameters, in declaration order
 */
public record TaskInfo(String family, Class<? extends Task> type, String description, List<ParamInfo> params) {

  /**
   * One parameter.
   *
   * @param name the record component name
   * @param typeName the type as written in code, such as {@code List<LocalDate>}
   * @param defaultValue the default, or null when the parameter has none
   * @param description its description, or empty
   * @param significant whether it is part of the task's identity
   */
  public record ParamInfo(
      String name, String typeName, String defaultValue, String description, boolean significant) {}
}
