package dev.plumb.demo.web;

import java.io.IOException;
import java.net.URI;

/** Another demo service answered with an error status. */
public class DownstreamException extends IOException {

    private final int status;

    public DownstreamException(URI uri, int status, String body) {
        super(uri.getPath() + " answered " + status + ": " + body);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
