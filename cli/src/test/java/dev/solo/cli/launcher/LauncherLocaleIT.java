package dev.solo.cli.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.testing.Ports;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user whose locale is C or POSIX (LANG unset: {@code su -}, cron, a service, ssh without it) gets solo's
 * output in UTF-8, as with a UTF-8 locale: text read from an image keeps its accents and symbols instead of
 * '?' in their place.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LauncherLocaleIT {
    @TempDir
    Path dir;

    @Test
    void withoutALocaleTheTextReadFromAnImageKeepsItsAccents() throws Exception {
        Path image = dir.resolve("cafe.png");
        BufferedImage im = new BufferedImage(640, 110, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = im.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 640, 110);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 44));
        g.drawString("Café crème", 20, 70);
        g.dispose();
        ImageIO.write(im, "png", image.toFile());

        Launch utf8 = ocr(image, "C.UTF-8");
        assertThat(utf8.exit()).as(utf8.err()).isZero();
        assertThat(utf8.out()).as("the engine reads the accents").contains("Café");

        Launch none = ocr(image, "");
        assertThat(none.exit()).as(none.err()).isZero();
        assertThat(none.out()).isEqualTo(utf8.out());
    }

    private Launch ocr(Path image, String locale) throws Exception {
        int first = Ports.freeRange(2); // not the default range: no resident of this machine's user is asked
        Map<String, String> env = new HashMap<>();
        env.put("LANG", locale);
        env.put("LC_ALL", locale);
        env.put("LC_CTYPE", locale);
        env.put("SOLO_NO_BUILD", "1");
        env.put("SOLO_HOME", Files.createDirectories(dir.resolve("state")).toString());
        env.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        env.put("SINGLEINSTANCE_PORT_START", Integer.toString(first));
        env.put("SINGLEINSTANCE_PORT_END", Integer.toString(first + 1));
        return Launch.run(LauncherIT.LAUNCHER, dir, env, "ocr", "--file", image.toString());
    }
}
