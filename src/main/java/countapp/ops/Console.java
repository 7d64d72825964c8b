package countapp.ops;

import java.lang.reflect.Method;

/**
 * The friendly console: ANSI colours, but only on a terminal. Redirected output (log files, CI, the
 * coordinator's worker logs) stays plain text; so does any output when {@code NO_COLOR} is set.
 */
public final class Console {
    private static final boolean COLOURS = detect();

    private Console() {}

    public static boolean colours() {
        return COLOURS;
    }

    public static String red(String s) {
        return paint("31", s);
    }

    public static String green(String s) {
        return paint("32", s);
    }

    public static String yellow(String s) {
        return paint("33", s);
    }

    public static String cyan(String s) {
        return paint("36", s);
    }

    public static String bold(String s) {
        return paint("1", s);
    }

    public static String dim(String s) {
        return paint("2", s);
    }

    static String paint(String code, String s) {
        return COLOURS ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }

    /** Whether standard output is a terminal. */
    @SuppressWarnings("SystemConsoleNull") // null is checked for Java 17-21; isTerminal() covers 22 and later
    public static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        // From Java 22 on, System.console() is non-null even when redirected; isTerminal() tells the truth.
        try {
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // Java 17–21: a console exists only on a terminal
        }
    }

    private static boolean detect() {
        String noColour = System.getenv("NO_COLOR");
        return (noColour == null || noColour.isEmpty()) && isTerminal();
    }
}
