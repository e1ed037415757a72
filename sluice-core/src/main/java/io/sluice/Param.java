package io.sluice;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes a task parameter (a record component): its default, its description, and whether
 * it is part of the task's identity.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD})
public @interface Param {

  /** Marks "no default": the value must come from the code, the command line or sluice.toml. */
  String NO_DEFAULT = "\u0000none";

  /** The default value, written as on the command line ({@code "0.5"}, {@code "a,b"}). */
  String defaultValue() default NO_DEFAULT;

  /** One line for {@code sluice list} and {@code --help}. */
  String description() default "";

  /** False for parameters that do not change the output, such as a log level. */
  boolean significant() default true;
}
