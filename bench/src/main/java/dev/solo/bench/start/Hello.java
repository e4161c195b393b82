package dev.solo.bench.start;

/** The floor of a whole-process client: a JVM that starts, prints one line and exits. */
public final class Hello {
    private Hello() {}

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
