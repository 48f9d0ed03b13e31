package dev.plumb.testapp;

import dev.plumb.Monitor;
import java.util.logging.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.slf4j.LoggerFactory;

/** Logs through Logback (via SLF4J), Log4j 2 and JUL, inside a monitored call and outside any. */
public final class LoggingApp {

    static final org.slf4j.Logger SLF4J = LoggerFactory.getLogger("app.logback");
    static final org.apache.logging.log4j.Logger LOG4J = LogManager.getLogger("app.log4j");
    static final java.util.logging.Logger JUL = java.util.logging.Logger.getLogger("app.jul");

    private LoggingApp() {
    }

    public static void main(String[] args) {
        Configurator.setRootLevel(org.apache.logging.log4j.Level.INFO);
        new Checkout().run("c-1");
        SLF4J.info("outside any span");
        SLF4J.trace("logback below level");
        LOG4J.debug("log4j below level");
        JUL.fine("jul below level");
        SLF4J.error("logback with exception", new IllegalStateException("boom"));
        JUL.log(Level.SEVERE, "jul with exception", new IllegalArgumentException("bad jul"));
        System.out.println("LOGGED");
    }

    /** The monitored call whose log lines must carry its span's ids. */
    public static class Checkout {
        @Monitor
        public void run(String id) {
            SLF4J.info("logback inside {}", id);
            LOG4J.warn("log4j inside {}", id);
            JUL.log(Level.INFO, "jul inside {0}", id);
        }
    }
}
