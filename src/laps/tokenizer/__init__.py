"""laps.tokenizer: the motion tokenizer (Transformer autoencoder + FSQ), data, training."""
