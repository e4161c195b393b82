package dev.solo.ocr.hotkey;

import com.github.kwhat.jnativehook.GlobalScreen;
import com.github.kwhat.jnativehook.NativeHookException;
import com.github.kwhat.jnativehook.NativeInputEvent;
import com.github.kwhat.jnativehook.keyboard.NativeKeyEvent;
import com.github.kwhat.jnativehook.keyboard.NativeKeyListener;
import dev.solo.core.ConfigException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A system-wide hotkey through JNativeHook (X11 XRecord, Windows and macOS hooks). The hook
 * observes keys; it does not swallow them, so the focused program also sees the combination.
 * The action runs on JNativeHook's dispatch thread and must hand long work to another thread.
 * Close it to remove the hook.
 */
public final class GlobalHotkey implements AutoCloseable {
    private final NativeKeyListener listener;

    private GlobalHotkey(NativeKeyListener listener) {
        this.listener = listener;
    }

    /**
     * Registers {@code hotkey}.
     *
     * @throws ConfigException naming the hotkey when the hook cannot be installed (no X server,
     *     XRecord missing, no accessibility permission on macOS)
     */
    public static GlobalHotkey register(Hotkey hotkey, Runnable action) {
        Logger.getLogger(GlobalScreen.class.getPackage().getName()).setLevel(Level.WARNING);
        Logger.getLogger(GlobalScreen.class.getPackage().getName()).setUseParentHandlers(false);
        int keyCode = keyCode(hotkey);
        int wanted = mask(hotkey);
        NativeKeyListener listener = new NativeKeyListener() {
            @Override
            public void nativeKeyPressed(NativeKeyEvent e) {
                if (e.getKeyCode() == keyCode && normalise(e.getModifiers()) == wanted) action.run();
            }
        };
        try {
            if (!GlobalScreen.isNativeHookRegistered()) GlobalScreen.registerNativeHook();
        } catch (NativeHookException | UnsatisfiedLinkError e) {
            // JNativeHook's messages end with a full stop ("Unable to locate XRecord extension.")
            String why = String.valueOf(e.getMessage()).replaceAll("\\.$", "");
            throw new ConfigException("cannot register the hotkey " + hotkey + ": " + why
                    + ". The desktop must allow global key hooks (X11 with the RECORD extension; on macOS grant"
                    + " Accessibility access). Use solo ocr --run-once from a desktop shortcut instead.");
        }
        GlobalScreen.addNativeKeyListener(listener);
        return new GlobalHotkey(listener);
    }

    private static int keyCode(Hotkey hotkey) {
        try {
            return NativeKeyEvent.class.getField("VC_" + hotkey.key()).getInt(null);
        } catch (ReflectiveOperationException e) {
            throw new ConfigException("cannot register the hotkey " + hotkey + ": the key '" + hotkey.key()
                    + "' has no global key code. Choose a letter, digit or F-key.");
        }
    }

    private static int mask(Hotkey hotkey) {
        int m = 0;
        for (Hotkey.Modifier mod : hotkey.modifiers()) {
            m |= switch (mod) {
                case CTRL -> NativeInputEvent.CTRL_MASK;
                case ALT -> NativeInputEvent.ALT_MASK;
                case SHIFT -> NativeInputEvent.SHIFT_MASK;
                case META -> NativeInputEvent.META_MASK;
            };
        }
        return m;
    }

    /** Left and right variants count the same; lock keys and mouse buttons are ignored. */
    private static int normalise(int modifiers) {
        int m = 0;
        if ((modifiers & NativeInputEvent.CTRL_MASK) != 0) m |= NativeInputEvent.CTRL_MASK;
        if ((modifiers & NativeInputEvent.ALT_MASK) != 0) m |= NativeInputEvent.ALT_MASK;
        if ((modifiers & NativeInputEvent.SHIFT_MASK) != 0) m |= NativeInputEvent.SHIFT_MASK;
        if ((modifiers & NativeInputEvent.META_MASK) != 0) m |= NativeInputEvent.META_MASK;
        return m;
    }

    @Override
    public void close() {
        GlobalScreen.removeNativeKeyListener(listener);
        try {
            GlobalScreen.unregisterNativeHook();
        } catch (NativeHookException ignored) {
            // already gone
        }
    }
}
