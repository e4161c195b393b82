package dev.solo.monitor.hooks;

import dev.solo.monitor.hooks.InstallList.Install;
import java.nio.file.Path;

/**
 * A child process for {@link InstallListTest}: {@code <list dir> <name> <count>} puts {@code count}
 * entries {@code <list dir>/<name>-<i>/settings.json} into the list, one change at a time, as that many
 * {@code hooks install} runs would.
 */
public final class InstallListWriter {
    private InstallListWriter() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        InstallList list = InstallList.in(dir);
        int count = Integer.parseInt(args[2]);
        for (int i = 0; i < count; i++) {
            list.put(new Install(
                    dir.resolve(args[1] + "-" + i).resolve("settings.json"), "project", 8000 + i, "", false));
        }
        System.out.println("done");
    }
}
