"""laps.tokenizer: the motion tokenizer (Transformer autoencoder with FSQ), its data and training."""
