package org.wagateway.media;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into the addresses the downloader may connect to. Every lookup (the guard's, and the HTTP
 * client's own through {@link CheckedDnsResolver} when it connects) goes through it and has every address
 * checked, so the client connects only to a checked address; tests supply their own resolver so that no public
 * name is ever looked up.
 */
@FunctionalInterface
public interface HostResolver {

    /** Every address of the host (an IP literal resolves to itself); never empty. */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JVM's resolver: {@link InetAddress#getAllByName}. */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
