package dev.solo.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that runs only on request (a benchmark, a long soak): enabled when the environment variable
 * {@link #value()} is {@code 1} or {@code true}. Otherwise it is listed in the skipped-tests summary as
 * opt-in with how to run it, and it never fails CI for being skipped.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(OptInCondition.class)
public @interface OptIn {
    /** The environment variable that turns the test on, e.g. {@code SOLO_BENCH}. */
    String value();

    /** The command that runs it, for the summary. */
    String command() default "";
}
