package dev.handoff.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Where the local engines listen: the IPv4 loopback address, on a port found free there. */
final class Loopback {

    static final String HOST = "127.0.0.1";

    private Loopback() {
    }

    /**
     * A port free on {@link #HOST} right now. Someone else can take it before the engine binds it: callers try
     * again on another one.
     */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free local port", e);
        }
    }
}
