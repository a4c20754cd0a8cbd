package io.rollcall.chat;

/**
 * A move from one {@link ConnectionStatus} to another.
 *
 * @param current the status now
 * @param previous the status before
 * @param error the error that caused the change, or null
 */
public record ConnectionStatusChange(ConnectionStatus current, ConnectionStatus previous, ErrorInfo error) {
}
