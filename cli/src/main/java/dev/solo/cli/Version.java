package dev.solo.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version of this build, filtered into {@code version.properties} by Maven. */
public final class Version {
    private static final String VERSION = load();

    private Version() {}

    /** {@code 0.1.0-SNAPSHOT}, or {@code dev} when run from an IDE without resource filtering. */
    public static String get() {
        return VERSION;
    }

    /**
     * The jar's {@code Implementation-Version}, through the package: the class-data-sharing archive keeps
     * the manifest, so this opens no jar (a resource would: the whole jar's index, thousands of entries,
     * on every client start). Run from class directories (tests, an IDE), {@code version.properties}.
     */
    private static String load() {
        Package pkg = Version.class.getPackage();
        String fromManifest = pkg == null ? null : pkg.getImplementationVersion();
        if (fromManifest != null) return fromManifest;
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            return "dev";
        }
        String v = p.getProperty("version", "dev");
        return v.startsWith("${") ? "dev" : v;
    }

    /** picocli's {@code --version}. */
    public static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "solo " + VERSION,
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
            };
        }
    }
}
