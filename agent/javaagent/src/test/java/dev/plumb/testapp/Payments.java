package dev.plumb.testapp;

import dev.plumb.Monitor;

/** Every public method is monitored through the class-level annotation. */
@Monitor
public class Payments {

    public int charge(int i) {
        if (i % 10 == 0) {
            throw new IllegalStateException("card declined " + i);
        }
        return i;
    }
}
