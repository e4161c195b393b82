package dev.solo.ocr.display;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.awt.AWTError;
import java.awt.GraphicsEnvironment;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * What this process does when its X server goes away (the desktop session ends, Xvfb is killed).
 *
 * <p>Xlib's own answer is to end the process on the spot: the first call that finds the connection
 * broken runs the I/O error handler and then {@code exit(1)}. No message (AWT's handler prints one only for
 * a failed write), no Java shutdown hook, so a resident's registry record and socket file would stay
 * behind as after {@code kill -9}. {@link #onLoss} replaces that handler, for the whole process, through
 * one native call ({@code XSetIOErrorHandler}, via JNA): the first thread that meets the broken
 * connection runs the given cleanup with the display's name and then ends the JVM with the given code.
 * Any other thread that meets it meanwhile (AWT's toolkit thread and JNativeHook's each have a connection)
 * waits for that end. The handler never returns: Xlib would call {@code exit(1)} as soon as it did.
 *
 * <p>The cleanup runs on whichever thread Xlib reported on, most often AWT's toolkit thread, which holds
 * AWT's lock. It must therefore not touch AWT (no tray, window, popup or clipboard: they would wait for
 * that lock forever) and must finish in bounded time. Java's shutdown hooks do not run: a hook that reached
 * for AWT would wait for the same lock. The process ends with the C library's {@code _exit}, not {@link
 * Runtime#halt}: while the JVM halts, a second thread's report can no longer enter Java, so Xlib's own
 * {@code exit(1)} would race the halt for the exit code.
 */
public final class DisplayLoss {
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();
    private static final AtomicBoolean FIRED = new AtomicBoolean();
    /** Held for the life of the process: JNA frees the native stub of a callback that is collected. */
    @SuppressWarnings("unused")
    private static volatile Xlib.IOErrorHandler handler;

    private DisplayLoss() {}

    /** The two Xlib functions this class calls. */
    interface Xlib extends Library {
        /** {@code int (*XIOErrorHandler)(Display *)}. */
        interface IOErrorHandler extends Callback {
            int invoke(Pointer display);
        }

        Pointer XSetIOErrorHandler(IOErrorHandler handler);

        /** The name the display was opened with, such as {@code :0}. */
        String XDisplayString(Pointer display);
    }

    /** The C library's {@code _exit}: ends the process at once, whatever its other threads are doing. */
    interface LibC extends Library {
        void _exit(int status);
    }

    /**
     * Installs the handler, once per process; call it after AWT and the global hotkey have opened their
     * connections (AWT sets its own handler when it opens the display).
     *
     * @param cleanup given the display's name (as in {@code DISPLAY}); must not touch AWT, must not block
     *     for long; what it throws is ignored
     * @param exitCode the JVM's exit code once the cleanup is done
     * @return empty when installed, already installed, or not needed (AWT does not speak X11 here: Windows,
     *     macOS); otherwise why not (no libX11, no JNA native library for this platform): the process then
     *     ends as Xlib decides
     */
    public static Optional<String> onLoss(Consumer<String> cleanup, int exitCode) {
        if (!x11()) return Optional.empty();
        if (!INSTALLED.compareAndSet(false, true)) return Optional.empty();
        Xlib xlib;
        LibC libc;
        try {
            xlib = Native.load(library(), Xlib.class);
            libc = Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            INSTALLED.set(false);
            return Optional.of(String.valueOf(e.getMessage()));
        }
        Xlib.IOErrorHandler h = display -> {
            if (FIRED.compareAndSet(false, true)) {
                try {
                    cleanup.accept(name(xlib, display));
                } catch (RuntimeException | Error e) {
                    // ending anyway: the display is gone and nothing here can bring it back
                } finally {
                    libc._exit(exitCode);
                }
            }
            while (true) LockSupport.park(); // another thread is ending the process
        };
        handler = h;
        xlib.XSetIOErrorHandler(h);
        return Optional.empty();
    }

    /**
     * Whether the display was lost and this process is ending through {@link #onLoss}'s cleanup. A thread
     * that would otherwise end the JVM itself (a main thread whose server just closed) must not: it calls
     * {@link #awaitEnd()} instead, so the exit code is the one given to {@link #onLoss}.
     */
    public static boolean ending() {
        return FIRED.get();
    }

    /** Waits for the end {@link #onLoss}'s handler brings; never returns once {@link #ending()}. */
    public static void awaitEnd() {
        while (FIRED.get()) LockSupport.park();
    }

    /** Whether this JVM's AWT talks to an X server (and has opened it: call after AWT is up). */
    private static boolean x11() {
        try {
            return !GraphicsEnvironment.isHeadless()
                    && GraphicsEnvironment.getLocalGraphicsEnvironment()
                            .getClass()
                            .getName()
                            .equals("sun.awt.X11GraphicsEnvironment");
        } catch (AWTError e) {
            return false;
        }
    }

    /** {@code libX11.so.6} on Linux and the BSDs (the unversioned name exists only with the -dev package). */
    private static String library() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        return os.contains("mac") ? "X11" : "libX11.so.6";
    }

    private static String name(Xlib xlib, Pointer display) {
        try {
            String name = display == null ? null : xlib.XDisplayString(display);
            if (name != null && !name.isEmpty()) return name;
        } catch (RuntimeException | Error e) {
            // fall back to the environment
        }
        String env = System.getenv("DISPLAY");
        return env == null ? "(unknown)" : env;
    }
}
