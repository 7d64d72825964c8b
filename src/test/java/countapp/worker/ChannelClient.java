package countapp.worker;

import countapp.protocol.FrameSplitter;
import countapp.protocol.Operation;
import countapp.protocol.Reply;
import countapp.protocol.RequestWriter;
import countapp.protocol.WorkerFrame;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's side of the channel, byte for byte, for tests of the worker's end: upgrades a
 * connection, sends request frames (or any bytes), and queues every frame the worker sends back.
 */
final class ChannelClient {
    final BlockingQueue<WorkerFrame> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final NetSocket socket;
    private int nextId;

    private ChannelClient(NetSocket socket) {
        this.socket = socket;
    }

    static ChannelClient connect(Vertx vertx, int port) throws Exception {
        CompletableFuture<ChannelClient> upgraded = new CompletableFuture<>();
        vertx.createNetClient().connect(port, "127.0.0.1").onComplete(ar -> {
            if (ar.failed()) {
                upgraded.completeExceptionally(ar.cause());
                return;
            }
            NetSocket s = ar.result();
            ChannelClient client = new ChannelClient(s);
            FrameSplitter splitter = new FrameSplitter((b, from, to) -> client.frames.add(Reply.decode(b, from, to)),
                    problem -> s.close());
            Buffer head = Buffer.buffer();
            s.handler(chunk -> {
                if (upgraded.isDone()) {
                    splitter.handle(chunk);
                    return;
                }
                head.appendBuffer(chunk);
                String text = head.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end >= 0) {
                    upgraded.complete(client);
                    if (head.length() > end + 4) {
                        splitter.handle(head.getBuffer(end + 4, head.length()));
                    }
                }
            });
            s.closeHandler(v -> client.closed.complete(null));
            s.write("GET /channel HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n"
                    + "Upgrade: countapp-channel/1\r\n\r\n");
        });
        return upgraded.get(10, TimeUnit.SECONDS);
    }

    /** Sends one request frame of {@code ops}; returns its id. */
    int send(Operation... ops) {
        RequestWriter w = new RequestWriter();
        int id = nextId++;
        w.begin(id);
        for (Operation op : ops) {
            w.write(op);
        }
        socket.write(w.finish());
        return id;
    }

    void sendRaw(byte[] frame) {
        socket.write(Buffer.buffer(frame));
    }

    /** The next frame the worker sends, within 10 s. */
    WorkerFrame next() throws InterruptedException {
        WorkerFrame f = frames.poll(10, TimeUnit.SECONDS);
        if (f == null) {
            throw new AssertionError("the worker sent no frame within 10 s");
        }
        return f;
    }

    /** The next results frame, skipping progress and done frames of long operations. */
    Reply nextResults() throws InterruptedException {
        while (true) {
            if (next() instanceof Reply r) {
                return r;
            }
        }
    }

    /** The next done frame, skipping the others; counts the progress frames seen on the way into {@code progress}. */
    WorkerFrame.Done nextDone(int[] progress) throws InterruptedException {
        while (true) {
            WorkerFrame f = next();
            if (f instanceof WorkerFrame.Done d) {
                return d;
            }
            if (f instanceof WorkerFrame.Progress) {
                progress[0]++;
            }
        }
    }
}
