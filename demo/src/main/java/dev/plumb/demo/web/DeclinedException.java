package dev.plumb.demo.web;

import java.net.URI;

/**
 * A downstream service answered 402: the order was declined. Methods along the call chain list it
 * in {@code @Monitor(ignoreExceptions = ...)} because a decline is a normal outcome, not an error.
 */
public final class DeclinedException extends DownstreamException {
    public DeclinedException(URI uri, String body) {
        super(uri, 402, body);
    }
}
