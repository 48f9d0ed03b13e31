package dev.plumb.collector.otlp;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;

/**
 * One unary gRPC call with a hand-made frame, so that tests can send what no gRPC library
 * would: garbage, truncated messages. Answers the {@code grpc-status} and {@code grpc-message}.
 */
final class RawGrpcCall {
    record Outcome(int status, String message) {
    }

    private RawGrpcCall() {
    }

    static Outcome export(int port, String service, byte[] message) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions()
                    .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
            Buffer frame = Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message);
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                    .setURI("/" + service + "/Export")
                    .putHeader("content-type", "application/grpc").putHeader("te", "trailers");
            return client.request(options)
                    .compose(req -> req.send(frame))
                    .compose(resp -> resp.body().map(body -> {
                        String status = resp.trailers().get("grpc-status");
                        String msg = resp.trailers().get("grpc-message");
                        if (status == null) {
                            status = resp.getHeader("grpc-status");
                            msg = resp.getHeader("grpc-message");
                        }
                        return new Outcome(status == null ? -1 : Integer.parseInt(status),
                                msg == null ? "" : java.net.URLDecoder.decode(msg, java.nio.charset.StandardCharsets.UTF_8));
                    }))
                    .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
