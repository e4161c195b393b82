package dev.solo.core.support;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * The engine behind {@link MultiLocaleTest} (after jsoup's {@code MultiLocaleExtension}): one
 * invocation per locale, each named after its language tag.
 */
public final class MultiLocaleExtension implements TestTemplateInvocationContextProvider {
    /** US English as the control, Turkish for its dotted and dotless i. */
    public static final List<Locale> LOCALES = List.of(Locale.US, Locale.forLanguageTag("tr-TR"));

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getRequiredTestMethod().isAnnotationPresent(MultiLocaleTest.class);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        return LOCALES.stream().map(InLocale::new);
    }

    private record InLocale(Locale locale) implements TestTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            return "[" + locale.toLanguageTag() + "]";
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new DefaultLocale(locale));
        }
    }

    /** Sets the default locale before the test and puts the previous one back after it. */
    private static final class DefaultLocale implements BeforeEachCallback, AfterEachCallback {
        private final Locale locale;
        private Locale saved;
        private Locale savedDisplay;
        private Locale savedFormat;

        DefaultLocale(Locale locale) {
            this.locale = locale;
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            saved = Locale.getDefault();
            savedDisplay = Locale.getDefault(Locale.Category.DISPLAY);
            savedFormat = Locale.getDefault(Locale.Category.FORMAT);
            Locale.setDefault(locale);
        }

        @Override
        public void afterEach(ExtensionContext context) {
            Locale.setDefault(saved);
            Locale.setDefault(Locale.Category.DISPLAY, savedDisplay);
            Locale.setDefault(Locale.Category.FORMAT, savedFormat);
        }
    }
}
