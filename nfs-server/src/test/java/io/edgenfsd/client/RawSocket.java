package io.edgenfsd.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A bare TCP connection for hostile-client tests: it writes what it is told and reads only when asked
 * (so it can be a client that never reads its replies), unlike {@link RpcClient}, which always reads.
 */
public final class RawSocket implements AutoCloseable {
    private final Socket socket;

    private RawSocket(Socket socket) {
        this.socket = socket;
    }

    /** Connects with a small receive buffer, so that unread replies back up on the server at once. */
    public static RawSocket connect(InetSocketAddress server, int receiveBuffer) {
        try {
            Socket s = new Socket();
            s.setReceiveBufferSize(receiveBuffer);
            s.setTcpNoDelay(true);
            s.connect(server, 10_000);
            return new RawSocket(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One RPC call record (a single last fragment) with the given header and COMPOUND arguments. */
    public void sendCall(int xid, Cred cred, byte[] compoundArgs) {
        sendRecord(RpcClient.callHeader(xid, 2, RpcClient.NFS_PROGRAM, RpcClient.NFS_VERSION,
                RpcClient.PROC_COMPOUND, cred).raw(compoundArgs).toByteArray());
    }

    public void sendRecord(byte[] body) {
        sendRaw(RpcClient.asRecord(body));
    }

    public void sendRaw(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads and discards until the server closes the connection; true if it did within {@code millis}.
     * (Reading drains replies, so use it only once the test no longer needs them unread.)
     */
    public boolean awaitClosedByServer(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        byte[] sink = new byte[65536];
        try {
            InputStream in = socket.getInputStream();
            while (true) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) Math.max(1, left));
                try {
                    if (in.read(sink) < 0) {
                        return true;
                    }
                } catch (SocketTimeoutException e) {
                    return false;
                }
            }
        } catch (IOException e) {
            return true; // reset by the server
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
