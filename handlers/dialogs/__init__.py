"""What every dialog shares: state storage, global words, steps, intents, button callbacks, small helpers."""
