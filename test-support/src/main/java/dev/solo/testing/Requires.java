package dev.solo.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test class or method needs these prerequisites: without one it is skipped with the reason (or
 * fails under {@code CI=true}, see {@link Prerequisite#require()}), before any set-up runs, so every
 * test of a class is reported as skipped instead of vanishing.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(PrerequisiteCondition.class)
public @interface Requires {
    Prerequisite[] value();
}
