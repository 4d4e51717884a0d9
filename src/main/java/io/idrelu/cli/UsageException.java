package io.idrelu.cli;

/** Bad input or usage detected by a command: reported on stderr as one line, exit code 2. */
public final class UsageException extends IllegalArgumentException {
    public UsageException(String message) {
        super(message);
    }
}
