package io.sluice;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a task class's family: the name of its tasks in ids, logs, {@code --Family-param}
 * options and {@code [Family]} sections of sluice.toml. Without it the family is the simple
 * class name; give one when two task classes of a pipeline share a simple name.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Family {

  /** The family name: a capital letter, then letters, digits or {@code _}, such as {@code VisionTrain}. */
  String value();
}
