package dev.solo.cli.fast;

/**
 * Names the platform's own NIO selector provider before a lean client opens its first channel, so the
 * JDK does not look one up as a service. That lookup asks the class path for {@code
 * META-INF/services/java.nio.channels.spi.SelectorProvider}, which opens and indexes the whole jar
 * (thousands of entries) on every start of a client of the same-user socket; it finds nothing there, and
 * the JDK then takes the very provider named here.
 *
 * <p>Only a provider class this JDK has is named (it is looked up first, without initialising it); on
 * any other platform, or when the property is already set, nothing changes and the JDK decides as
 * usual.
 */
final class NioProvider {
    /** The JDK's property for the provider, read once by {@code SelectorProvider.provider()}. */
    static final String PROPERTY = "java.nio.channels.spi.SelectorProvider";

    private static final String[] PLATFORM_DEFAULTS = {
        "sun.nio.ch.EPollSelectorProvider", // Linux
        "sun.nio.ch.KQueueSelectorProvider", // macOS, the BSDs
        "sun.nio.ch.WindowsSelectorProvider"
    };

    private NioProvider() {}

    /** Sets {@link #PROPERTY} to this platform's default provider where the JDK has the expected one. */
    static void useThePlatformDefault() {
        if (System.getProperty(PROPERTY) != null) return;
        String name = platformDefault(System.getProperty("os.name", ""));
        if (name == null) return;
        try {
            Class.forName(name, false, null); // the boot loader: a JDK class, not initialised
        } catch (ClassNotFoundException | LinkageError notThisJdk) {
            return;
        }
        System.setProperty(PROPERTY, name);
    }

    /** The JDK's default provider class on {@code osName}, or {@code null} where it is not known. */
    static String platformDefault(String osName) {
        if (osName.startsWith("Linux")) return PLATFORM_DEFAULTS[0];
        if (osName.startsWith("Mac") || osName.endsWith("BSD")) return PLATFORM_DEFAULTS[1];
        if (osName.startsWith("Windows")) return PLATFORM_DEFAULTS[2];
        return null;
    }
}
