package countapp.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * A streamed answer of JSON lines as a lazy {@link Stream}: one line is read from the response body when the
 * stream asks for the next element, so memory holds a line at a time whatever the answer's size. Closing the
 * stream closes the body, and with it the connection, also part-way; reaching the end closes it too. A body that
 * breaks off (the server closes the connection without ending the chunked body) is a {@link CountAppException},
 * so a cut-off answer never looks complete. Not thread-safe, like any sequential stream.
 */
final class JsonLines<T> implements Iterator<T> {
    private final String what;
    private final BufferedReader reader;
    private final Function<JsonNode, T> parse;
    private @Nullable T next;
    private boolean closed;
    private long lines;

    private JsonLines(String what, InputStream body, Function<JsonNode, T> parse) {
        this.what = what;
        this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        this.parse = parse;
    }

    /** The lines of {@code body} (the answer to {@code what}), each parsed by {@code parse}. */
    static <T> Stream<T> stream(String what, InputStream body, Function<JsonNode, T> parse) {
        JsonLines<T> lines = new JsonLines<>(what, body, parse);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(lines, Spliterator.ORDERED | Spliterator.NONNULL),
                false).onClose(lines::close);
    }

    @Override
    public boolean hasNext() {
        while (next == null && !closed) {
            String line;
            try {
                line = reader.readLine();
            } catch (IOException e) {
                close();
                throw CountAppException.transport(what + " (broke off after " + lines + " lines)", e);
            }
            if (line == null) {
                close();
            } else if (!line.isBlank()) {
                lines++;
                next = parseLine(line);
            }
        }
        return next != null;
    }

    @Override
    public T next() {
        T element = hasNext() ? next : null;
        if (element == null) {
            throw new NoSuchElementException();
        }
        next = null;
        return element;
    }

    private T parseLine(String line) {
        try {
            return parse.apply(Transport.JSON.readTree(line));
        } catch (IOException | IllegalArgumentException e) {
            close();
            throw CountAppException.unexpected(what, "line " + lines + " is not what the API promises: " + line);
        }
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
