package io.idrelu.model;

/** A fixture that cannot be used; the message names the key, the position and what was expected. */
public final class FixtureException extends IllegalArgumentException {
    public FixtureException(String message) {
        super(message);
    }
}
