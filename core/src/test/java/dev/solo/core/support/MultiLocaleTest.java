package dev.solo.core.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test once per locale of {@link MultiLocaleExtension#LOCALES}, with that locale as the JVM
 * default (all categories), and restores the previous default afterwards. Protocol code must give
 * the same bytes everywhere: under {@code tr-TR}, {@code "ping".toUpperCase()} is {@code "PİNG"}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(MultiLocaleExtension.class)
public @interface MultiLocaleTest {}
