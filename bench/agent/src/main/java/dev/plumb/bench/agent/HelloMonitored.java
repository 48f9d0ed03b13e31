package dev.plumb.bench.agent;

/** The hello-world JVM that also calls one {@code @Monitor} method, so the agent's instrumentation is loaded. */
public final class HelloMonitored {

    private HelloMonitored() {
    }

    public static void main(String[] args) {
        System.out.println("hello " + new Service().work(1));
    }
}
