package dev.plumb.collector.api;

/**
 * A request the API refuses, answered as {@code {"error", "field", "hint"}} with a 4xx status by
 * the API's failure handler. Throw it from a handler or from work given to {@link Blocking}.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String field;
    private final String hint;

    public ApiException(int status, String error, String field, String hint) {
        super(error, null, false, false);
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("an ApiException is a 4xx answer, not " + status);
        }
        this.status = status;
        this.field = field;
        this.hint = hint;
    }

    /** 400: a parameter is missing or does not parse. */
    public static ApiException badRequest(String field, String error, String hint) {
        return new ApiException(400, error, field, hint);
    }

    /** 404: the thing asked for does not exist. */
    public static ApiException notFound(String field, String error, String hint) {
        return new ApiException(404, error, field, hint);
    }

    /** 422: the request parses but the platform refuses it (guardrails). */
    public static ApiException unprocessable(String field, String error, String hint) {
        return new ApiException(422, error, field, hint);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }

    public String hint() {
        return hint;
    }
}
