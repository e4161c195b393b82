package dev.solo.cli.ocr;

import dev.solo.core.ConfigException;
import dev.solo.core.Registry;
import dev.solo.ocr.config.OcrConfig;
import dev.solo.ocr.config.Setting;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code solo ocr config}: every setting, its value, and where the value came from. */
@Command(name = "config", description = "Show every setting of solo ocr, its value and where it came from.")
final class OcrConfigCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    OcrCommand parent;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        OcrConfig config;
        try {
            config = OcrCommand.loadConfig(parent);
        } catch (ConfigException e) {
            OcrCommand.error(spec.commandLine().getErr(), e.getMessage());
            return OcrCommand.FAILED;
        }
        for (String w : config.warnings()) spec.commandLine().getErr().println("solo ocr: warning: " + w);
        out.println(".env file: "
                + config.envFile().map(Object::toString).orElse("(none; set SOLO_OCR_ENV or put .env next to ./solo)"));
        String format = "%-26s %-32s %s%n";
        out.printf(format, "SETTING", "VALUE", "SOURCE");
        for (OcrConfig.Entry e : config.entries()) {
            if (e.setting() == Setting.OCR_TESSDATA && e.value() == null) {
                // unset means a folder, not nothing: say which one, as docs/ocr.md does
                Path dir = config.modelDir(Registry.forCurrentUser().home());
                out.printf(format, e.setting().name(), dir, "default");
            } else {
                out.printf(format, e.setting().name(), e.shown(), e.source().label());
            }
        }
        out.flush();
        return 0;
    }
}
