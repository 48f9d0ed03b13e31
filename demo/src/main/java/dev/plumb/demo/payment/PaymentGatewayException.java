package dev.plumb.demo.payment;

/** The card network could not be reached or timed out: a real failure of a charge. */
public final class PaymentGatewayException extends RuntimeException {
    public PaymentGatewayException(String message) {
        super(message);
    }
}
