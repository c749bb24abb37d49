"""The accuracy benchmark (`laps benchmark accuracy`): methods, runs, scoring, results."""
