package dev.gatehouse.platform;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.CharArrayWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Passes the response through unchanged and keeps a copy of the body, so an idempotent request's outcome
 * can be stored. It tees rather than buffers: streamed responses still stream. When the client goes
 * away mid-response, writes keep being copied (and no longer sent): the operation has happened, and its
 * outcome must be stored so the client's retry replays it instead of running it again.
 */
final class CapturingResponse extends HttpServletResponseWrapper {

    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CharArrayWriter chars = new CharArrayWriter();
    private boolean overflowed;
    private boolean errorSent;
    private boolean deliveryFailed;
    private @Nullable ServletOutputStream stream;
    private @Nullable PrintWriter writer;

    CapturingResponse(HttpServletResponse response, int limit) {
        super(response);
        this.limit = limit;
    }

    /** The body as the client was meant to receive it. */
    synchronized byte[] body() {
        if (chars.size() == 0) {
            return bytes.toByteArray();
        }
        String encoding = getCharacterEncoding();
        Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
        return chars.toString().getBytes(charset);
    }

    /** The body was larger than the copy limit, so {@link #body()} is incomplete. */
    synchronized boolean overflowed() {
        return overflowed;
    }

    /** The handler used {@code sendError}: the container renders the body later, outside our copy. */
    boolean errorSent() {
        return errorSent;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (stream == null) {
            stream = new TeeStream(super.getOutputStream());
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            // PrintWriter over a Writer adds no buffer of its own, so the copy never lags the output.
            writer = new PrintWriter(new TeeWriter(super.getWriter()));
        }
        return writer;
    }

    @Override
    public void sendError(int sc) throws IOException {
        errorSent = true;
        super.sendError(sc);
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        errorSent = true;
        super.sendError(sc, msg);
    }

    @Override
    public void reset() {
        super.reset();
        forget();
    }

    @Override
    public void resetBuffer() {
        super.resetBuffer();
        forget();
    }

    private synchronized void forget() {
        bytes.reset();
        chars.reset();
        overflowed = false;
    }

    private synchronized void copy(byte[] b, int off, int len) {
        if (overflowed) return;
        if (bytes.size() + len > limit) {
            overflow();
        } else {
            bytes.write(b, off, len);
        }
    }

    private synchronized void copy(char[] c, int off, int len) {
        if (overflowed) return;
        // Counted in chars: within a factor of three of the encoded size, close enough for a memory guard.
        if (chars.size() + len > limit) {
            overflow();
        } else {
            chars.write(c, off, len);
        }
    }

    private void overflow() {
        overflowed = true;
        bytes.reset();
        chars.reset();
    }

    private final class TeeStream extends ServletOutputStream {
        private final ServletOutputStream out;

        TeeStream(ServletOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            copy(b, off, len);
            if (deliveryFailed) return;
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                deliveryFailed = true;
            }
        }

        @Override
        public void flush() {
            if (deliveryFailed) return;
            try {
                out.flush();
            } catch (IOException e) {
                deliveryFailed = true;
            }
        }

        @Override
        public void close() {
            if (deliveryFailed) return;
            try {
                out.close();
            } catch (IOException e) {
                deliveryFailed = true;
            }
        }

        @Override
        public boolean isReady() {
            return out.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            out.setWriteListener(listener);
        }
    }

    private final class TeeWriter extends Writer {
        private final PrintWriter out;

        TeeWriter(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(char[] c, int off, int len) {
            copy(c, off, len);
            // The container's PrintWriter already swallows I/O errors (checkError), as we want.
            out.write(c, off, len);
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            out.close();
        }
    }
}
