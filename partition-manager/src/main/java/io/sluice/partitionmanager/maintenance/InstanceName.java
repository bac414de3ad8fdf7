package io.sluice.partitionmanager.maintenance;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * This instance's name in the run history and in the Redis lock's value: {@code <host>/<pid>} (on Kubernetes the
 * host is the pod's name), so an operator can tell which instance ran or holds maintenance.
 */
@ApplicationScoped
public class InstanceName {

    private final String value;

    public InstanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        value = host + "/" + ProcessHandle.current().pid();
    }

    public String value() {
        return value;
    }
}
