package dev.solo.cli.monitor;

/** The user-facing lines of seed 000 section 5, with "solo" as the product name. */
final class Messages {
    private Messages() {}

    static String url(String host, int port) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "http://" + h + ":" + port;
    }

    static String starting(String host, int port) {
        return "Starting solo monitor on " + host + ":" + port;
    }

    static String running(int port) {
        return "Monitor running on port " + port;
    }

    static String opening(String url) {
        return "Opening browser to " + url;
    }

    static String alreadyRunning(String url) {
        return "Monitor already running at " + url;
    }

    static String openingExisting(String url) {
        return "Opening browser to existing instance: " + url;
    }

    /** The error for a port held by something else: the default port's text or the explicit one's. */
    static String portBusy(Target t) {
        if (t.named()) {
            return "Error: port " + t.port() + ", which the named monitor '" + t.name() + "' keeps (its hooks post"
                    + " there), is in use by another program, so it was not started and did not move. Stop that"
                    + " program, or run 'solo monitor --name " + t.name() + " --new-port' to move it to a new port"
                    + " and rewrite its hooks.";
        }
        if (t.explicit()) {
            return "Error: Port " + t.port() + " is already in use by another service. Please stop the existing"
                    + " service or choose a different port.";
        }
        return "Error: Default port " + t.port() + " is already in use by another service. Please stop the existing"
                + " service with 'solo monitor stop' or specify a different port with --port.";
    }
}
