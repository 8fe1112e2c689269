#!/usr/bin/env python3
"""Generates src/main/resources/dev/kino/control/auth/common-passwords.txt.

The most common passwords of public breach corpora follow a handful of shapes: a popular word or name,
a keyboard walk or a digit run, with a year, a short digit run or '!' appended, sometimes capitalised.
This script writes the well-known top entries plus those shapes expanded, lower-cased, one per line,
most likely first, capped at MAX. Only entries of at least MIN_LEN characters matter to the policy
(shorter ones are rejected by length anyway) but short bases are kept for completeness.
"""
import itertools, sys

MAX = 12000
TOP = """123456 password 123456789 12345678 12345 qwerty 1234567 111111 1234567890 123123 abc123 1234 password1
iloveyou 1q2w3e4r 000000 qwerty123 zaq12wsx dragon sunshine princess letmein 654321 monkey 27653 1qaz2wsx 123321
qwertyuiop superman asdfghjkl trustno1 football baseball welcome master shadow ashley bailey passw0rd michael
jennifer hunter 696969 batman jordan harley ranger buster soccer hockey killer george andrew charlie thomas
robert daniel starwars klaster 112233 computer michelle jessica pepper freedom 121212 000000000 access
mustang whatever 666666 aa123456 donald qazwsx 123qwe 7777777 1q2w3e 888888 555555 123654 987654321
lovely flower hello 1111111111 password123 qwerty12345 iloveyou1 1234qwer qwer1234 q1w2e3r4t5 q1w2e3r4
1q2w3e4r5t 1qaz2wsx3edc zxcvbnm asdfgh qwertyu qazwsxedc 123abc abcd1234 a1b2c3d4 letmein1 welcome1
admin admin123 administrator root toor changeme default guest test test123 testing secret secret123
passpass password1234 password12 password12345 p@ssw0rd p@ssword pa55word passw0rd1 mypassword
iloveyou123 loveyou babygirl lovers love123 cookie summer winter spring autumn chocolate""".split()
WORDS = """password passwort motdepasse contrasena qwerty qwertyuiop asdfgh asdfghjkl zxcvbnm iloveyou
letmein welcome dragon monkey football baseball basketball soccer hockey golfer tennis master shadow
sunshine princess superman batman spiderman starwars pokemon naruto minecraft fortnite freedom whatever
trustno1 computer internet samsung iphone google facebook youtube twitter charlie michael jennifer jessica
ashley amanda daniel thomas robert matthew joshua andrew anthony william christopher jordan hunter
harley ranger buster pepper ginger cookie summer winter spring autumn chocolate butterfly flower
purple orange yellow banana cheese chicken pizza hello lovely loveme lover angel angels blessed jesus
christ heaven family friends forever secret access admin administrator master login changeme default
guest test testing killer tigger tiger lion eagle dolphin dragon1 mustang ferrari porsche mercedes
corvette chelsea arsenal liverpool barcelona madrid juventus united marlboro matrix hacker ninja
warrior wizard phoenix diamond silver golden gold money dollar rich happy smile sunny rainbow
kitten puppy doggie snoopy mickey minnie disney barbie pretty beautiful sexy hottie babygirl
princesa bonita amor teamo carlos maria jose juan pedro alexander alexandra natasha nicole michelle
elizabeth stephanie samantha melissa jasmine andrea daniela sophie charlotte olivia emma
""".split()
DIGITS = ["", "1", "12", "123", "1234", "12345", "123456", "1234567", "12345678", "123456789", "0", "01",
          "11", "13", "21", "22", "23", "69", "77", "88", "99", "007", "111", "666", "777", "321", "2000",
          "1990", "1991", "1992", "1993", "1994", "1995", "1996", "1997", "1998", "1999", "2001", "2002",
          "2003", "2004", "2005", "2010", "2015", "2018", "2019", "2020", "2021", "2022", "2023", "2024",
          "2025", "2026", "!", "1!", "123!", "@123", "#1", "!!", "?"]
WALKS = ["qwertyuiop", "qwertyuiop123", "asdfghjkl", "asdfghjkl123", "zxcvbnm123", "1qaz2wsx3edc",
         "1q2w3e4r5t6y", "q1w2e3r4t5y6", "qazwsxedcrfv", "zaq1xsw2cde3", "!qaz2wsx", "1qazxsw2",
         "qweasdzxc", "qweasdzxc123", "asdfqwer", "zxcvasdfqwer", "poiuytrewq", "mnbvcxz", "lkjhgfdsa",
         "0987654321", "9876543210", "1029384756", "0123456789", "01234567890", "12345678910",
         "123412341234", "123123123", "123123123123", "147258369", "159753", "159357", "741852963",
         "123qweasdzxc", "qwe123qwe", "abc123abc", "abcdefghij", "abcdefg123", "aaaaaaaaaa"]

def out():
    seen = []
    def add(p):
        p = p.lower()
        if p and p not in seen_set:
            seen_set.add(p); seen.append(p)
    seen_set = set()
    for p in TOP: add(p)
    for p in WALKS: add(p)
    for d in "0123456789":
        for n in range(6, 13): add(d * n)
    for n in range(6, 13): add("1234567890"[:n] if n <= 10 else "1234567890" + "1234567890"[:n - 10])
    for w, d in itertools.product(WORDS, DIGITS): add(w + d)
    for w, d in itertools.product(WORDS, DIGITS): add(w + w if d == "" else w + w + d)
    subs = str.maketrans({"a": "@", "o": "0", "e": "3", "i": "1", "s": "$"})
    for w, d in itertools.product(WORDS, DIGITS[:12]): add(w.translate(subs) + d)
    for y in range(1950, 2031):
        for w in WORDS: add(w + str(y))
    return seen[:MAX]

if __name__ == "__main__":
    lines = out()
    sys.stdout.write("# Common passwords, lower case, generated by src/build/common-passwords.py\n")
    sys.stdout.write("\n".join(lines) + "\n")
