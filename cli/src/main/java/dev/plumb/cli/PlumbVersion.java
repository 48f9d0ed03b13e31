package dev.plumb.cli;

import picocli.CommandLine;

/** The version written into plumb.jar's manifest at build time. */
final class PlumbVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = PlumbVersion.class.getPackage().getImplementationVersion();
        return new String[] {"plumb " + (version == null ? "(development build)" : version),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
    }
}
