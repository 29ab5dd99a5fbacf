from sumbench.text import split_sentences


def test_natural_text_with_abbreviations_quotes_and_decimals():
    text = (
        "Mr. Smith went to Washington. He met the U.S. president. The U.S. economy grew 3.5 percent "
        'in Jan. last year. "It is great," he said. "Really!" Then he left. Dr. J. Doe agreed.'
    )
    assert split_sentences(text) == [
        "Mr. Smith went to Washington.",
        "He met the U.S. president.",
        "The U.S. economy grew 3.5 percent in Jan. last year.",
        '"It is great," he said.',
        '"Really!"',
        "Then he left.",
        "Dr. J. Doe agreed.",
    ]


def test_ptb_tokenized_text():
    text = "Townsend was a sub in Tottenham 's draw . He could not score . `` It 's fine . '' He said so ."
    assert split_sentences(text) == [
        "Townsend was a sub in Tottenham 's draw .",
        "He could not score .",
        "`` It 's fine . ''",
        "He said so .",
    ]


def test_lowercased_ptb_splits_on_free_standing_period_but_not_inside_words():
    assert split_sentences("he lives in the u.s. . then he left . amazon.com grew") == [
        "he lives in the u.s. .",
        "then he left .",
        "amazon.com grew",
    ]


def test_newlines_are_boundaries_and_empty_lines_dropped():
    assert split_sentences("First line without stop\n\nSecond one\n") == ["First line without stop", "Second one"]


def test_no_split_before_lowercase_and_empty_text():
    text = "It was approx. ten miles. e.g. this stays."
    assert split_sentences(text) == [text]
    assert split_sentences("") == []
    assert split_sentences("   \n ") == []


def test_question_and_exclamation():
    assert split_sentences("Why now? Because! (It was time.) Done.") == [
        "Why now?",
        "Because!",
        "(It was time.)",
        "Done.",
    ]
