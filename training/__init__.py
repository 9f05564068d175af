"""Training, evaluation and scoring code for `stance`; never imported by the library itself."""
