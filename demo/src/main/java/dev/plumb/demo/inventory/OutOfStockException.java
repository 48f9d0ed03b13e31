package dev.plumb.demo.inventory;

/** A reservation asked for more than the warehouse holds. */
public final class OutOfStockException extends RuntimeException {
    public OutOfStockException(String message) {
        super(message);
    }
}
