"""Reading a question: which spans are proofs and which services, which proof is asked about, the words that
name the service, plain and terse wordings, "那X呢", and English questions turned into Chinese."""
