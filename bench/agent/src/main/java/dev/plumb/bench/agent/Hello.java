package dev.plumb.bench.agent;

/** The hello-world JVM whose start-up the agents' cost is measured on. */
public final class Hello {

    private Hello() {
    }

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
