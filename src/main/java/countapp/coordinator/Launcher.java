package countapp.coordinator;

import countapp.config.Config;
import countapp.config.WorkerEndpoint;
import java.io.IOException;

/** Starts a local worker's process. {@link WorkerLauncher} starts a JVM; tests start stand-ins. */
interface Launcher {
    Process launch(WorkerEndpoint endpoint, Config config) throws IOException;

    /** How the launched processes' state is read. */
    default ProcessProbe probe() {
        return ProcessProbe.PROC;
    }
}
