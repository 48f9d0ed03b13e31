package dev.plumb.demo.payment;

/** The card issuer said no: an expected answer of a payment, not a fault of the service. */
public final class CardDeclinedException extends Exception {
    public CardDeclinedException(String message) {
        super(message);
    }
}
