package io.edgenfsd.compound;

import io.edgenfsd.state.StateManager;
import io.edgenfsd.vfs.IdMapper;
import io.edgenfsd.vfs.LocalFs;
import io.edgenfsd.vfs.OpenFiles;
import io.edgenfsd.vfs.ThreadIdentity;

/** Everything operations share across calls. */
public record ServerContext(StateManager state, LocalFs fs, IdMapper ids, ThreadIdentity identity,
                            OpenFiles openFiles, int maxRead, int maxWrite, byte[] serverOwner,
                            Callbacks callbacks, io.edgenfsd.state.Delegations delegations) {
    /** Sends back-channel probes; kept behind an interface so compound does not depend on server wiring. */
    public interface Callbacks {
        void sessionCreated(io.edgenfsd.state.Session session);
    }
}
