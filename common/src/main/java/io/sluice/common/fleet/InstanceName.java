package io.sluice.common.fleet;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * How an instance names itself where the fleet shares state (a lock's or a lease's holder, a run's runner):
 * {@code <host>/<pid>}. On Kubernetes the host name is the pod's, so an operator can tell which instance it was.
 */
public final class InstanceName {

    private static final String NAME = host() + "/" + ProcessHandle.current().pid();

    private InstanceName() {
    }

    public static String current() {
        return NAME;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
