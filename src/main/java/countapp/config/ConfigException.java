package countapp.config;

/** The configuration file is unreadable or invalid; the message names every problem found. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
