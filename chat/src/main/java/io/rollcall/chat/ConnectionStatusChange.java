package io.rollcall.chat;

/** A move from one {@link ConnectionStatus} to another, with the error that caused it, if any (else null). */
public record ConnectionStatusChange(ConnectionStatus current, ConnectionStatus previous, ErrorInfo error) {
}
