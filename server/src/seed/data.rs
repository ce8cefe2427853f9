//! Word lists for the demo generator: people across countries, places, products, dialogues.

/// (first names, last names, country, country calling code, cities with regions)
pub struct Country {
    pub name: &'static str,
    pub code: &'static str,
    pub first: &'static [&'static str],
    pub last: &'static [&'static str],
    pub cities: &'static [(&'static str, &'static str)],
}

pub const COUNTRIES: &[Country] = &[
    Country {
        name: "Germany",
        code: "49",
        first: &[
            "Lena", "Felix", "Hannah", "Lukas", "Mia", "Jonas", "Sophie", "Paul",
        ],
        last: &[
            "Müller", "Schmidt", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann",
        ],
        cities: &[
            ("Berlin", "Berlin"),
            ("Munich", "Bavaria"),
            ("Hamburg", "Hamburg"),
            ("Cologne", "North Rhine-Westphalia"),
        ],
    },
    Country {
        name: "United States",
        code: "1",
        first: &[
            "Emily", "James", "Olivia", "Michael", "Ava", "Daniel", "Madison", "Ethan",
        ],
        last: &[
            "Johnson", "Williams", "Brown", "Miller", "Davis", "Wilson", "Anderson",
        ],
        cities: &[
            ("Austin", "Texas"),
            ("Seattle", "Washington"),
            ("Chicago", "Illinois"),
            ("Boston", "Massachusetts"),
        ],
    },
    Country {
        name: "Brazil",
        code: "55",
        first: &[
            "Ana", "João", "Beatriz", "Lucas", "Mariana", "Gabriel", "Larissa", "Rafael",
        ],
        last: &[
            "Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira", "Almeida",
        ],
        cities: &[
            ("São Paulo", "São Paulo"),
            ("Rio de Janeiro", "Rio de Janeiro"),
            ("Curitiba", "Paraná"),
            ("Recife", "Pernambuco"),
        ],
    },
    Country {
        name: "India",
        code: "91",
        first: &[
            "Aarav", "Ananya", "Vihaan", "Diya", "Arjun", "Isha", "Rohan", "Kavya",
        ],
        last: &["Sharma", "Patel", "Gupta", "Iyer", "Reddy", "Nair", "Singh"],
        cities: &[
            ("Bengaluru", "Karnataka"),
            ("Mumbai", "Maharashtra"),
            ("Pune", "Maharashtra"),
            ("Chennai", "Tamil Nadu"),
        ],
    },
    Country {
        name: "Japan",
        code: "81",
        first: &[
            "Haruto", "Yui", "Sota", "Hina", "Ren", "Sakura", "Yuto", "Aoi",
        ],
        last: &[
            "Sato",
            "Suzuki",
            "Takahashi",
            "Watanabe",
            "Ito",
            "Yamamoto",
            "Nakamura",
        ],
        cities: &[
            ("Tokyo", "Kanto"),
            ("Osaka", "Kansai"),
            ("Kyoto", "Kansai"),
            ("Sapporo", "Hokkaido"),
        ],
    },
    Country {
        name: "Nigeria",
        code: "234",
        first: &[
            "Chinedu", "Amara", "Tunde", "Ngozi", "Emeka", "Folake", "Ifeanyi", "Zainab",
        ],
        last: &[
            "Okafor", "Adeyemi", "Balogun", "Eze", "Nwosu", "Okonkwo", "Bello",
        ],
        cities: &[
            ("Lagos", "Lagos"),
            ("Abuja", "FCT"),
            ("Ibadan", "Oyo"),
            ("Enugu", "Enugu"),
        ],
    },
    Country {
        name: "Spain",
        code: "34",
        first: &[
            "Lucía", "Hugo", "Martina", "Mateo", "Carmen", "Pablo", "Elena", "Álvaro",
        ],
        last: &[
            "García",
            "Fernández",
            "López",
            "Martínez",
            "Sánchez",
            "Romero",
            "Navarro",
        ],
        cities: &[
            ("Madrid", "Community of Madrid"),
            ("Barcelona", "Catalonia"),
            ("Valencia", "Valencian Community"),
            ("Seville", "Andalusia"),
        ],
    },
    Country {
        name: "Indonesia",
        code: "62",
        first: &[
            "Putri", "Budi", "Siti", "Agus", "Dewi", "Rizky", "Ayu", "Fajar",
        ],
        last: &[
            "Santoso", "Wijaya", "Pratama", "Saputra", "Hidayat", "Kusuma", "Lestari",
        ],
        cities: &[
            ("Jakarta", "DKI Jakarta"),
            ("Surabaya", "East Java"),
            ("Bandung", "West Java"),
            ("Denpasar", "Bali"),
        ],
    },
    Country {
        name: "France",
        code: "33",
        first: &[
            "Chloé", "Louis", "Camille", "Hugo", "Manon", "Arthur", "Inès", "Jules",
        ],
        last: &[
            "Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard",
        ],
        cities: &[
            ("Paris", "Île-de-France"),
            ("Lyon", "Auvergne-Rhône-Alpes"),
            ("Marseille", "Provence"),
            ("Lille", "Hauts-de-France"),
        ],
    },
    Country {
        name: "Mexico",
        code: "52",
        first: &[
            "Sofía",
            "Santiago",
            "Valentina",
            "Diego",
            "Regina",
            "Emiliano",
            "Ximena",
            "Leonardo",
        ],
        last: &[
            "Hernández",
            "González",
            "Ramírez",
            "Flores",
            "Torres",
            "Cruz",
            "Morales",
        ],
        cities: &[
            ("Mexico City", "CDMX"),
            ("Guadalajara", "Jalisco"),
            ("Monterrey", "Nuevo León"),
            ("Puebla", "Puebla"),
        ],
    },
    Country {
        name: "Poland",
        code: "48",
        first: &[
            "Zuzanna", "Jakub", "Julia", "Szymon", "Maja", "Filip", "Zofia", "Kacper",
        ],
        last: &[
            "Nowak",
            "Kowalski",
            "Wiśniewski",
            "Wójcik",
            "Kamiński",
            "Lewandowski",
            "Zieliński",
        ],
        cities: &[
            ("Warsaw", "Masovia"),
            ("Kraków", "Lesser Poland"),
            ("Gdańsk", "Pomerania"),
            ("Wrocław", "Lower Silesia"),
        ],
    },
    Country {
        name: "Egypt",
        code: "20",
        first: &[
            "Omar", "Nour", "Youssef", "Salma", "Karim", "Mariam", "Ahmed", "Layla",
        ],
        last: &[
            "Hassan", "Mahmoud", "Ibrahim", "Mostafa", "Farouk", "Saleh", "Nasser",
        ],
        cities: &[
            ("Cairo", "Cairo"),
            ("Alexandria", "Alexandria"),
            ("Giza", "Giza"),
            ("Luxor", "Luxor"),
        ],
    },
];

pub const PRODUCTS: &[&str] = &[
    "Aurora smart speaker",
    "Nimbus wireless earbuds",
    "Terra hiking backpack",
    "Pulse fitness watch",
    "Lumen desk lamp",
    "Orbit robot vacuum",
    "Breeze air purifier",
    "Vector mechanical keyboard",
    "Echo Pro subscription",
    "Harbor coffee grinder",
];

pub const PLANS: &[&str] = &["Free", "Starter", "Pro", "Enterprise"];
pub const DEVICES: &[(&str, &str, &str)] = &[
    ("Desktop", "Windows 11", "Chrome 131"),
    ("Desktop", "macOS 15", "Safari 18"),
    ("Mobile", "iOS 18", "Safari 18"),
    ("Mobile", "Android 15", "Chrome 131"),
    ("Tablet", "iPadOS 18", "Safari 18"),
    ("Desktop", "Ubuntu 24.04", "Firefox 133"),
];
pub const DISPOSITIONS: &[&str] = &[
    "Issue solved",
    "Information provided",
    "Refund issued",
    "Escalated to tier 2",
    "Sale closed",
    "No response from customer",
    "Duplicate",
];
pub const EXTRA_LABELS: &[&str] = &[
    "vip",
    "refund request",
    "bug",
    "feature request",
    "shipping",
    "new customer",
    "complaint",
    "upsell",
];

/// A support topic: the customer's opener, details they add, the agent's replies, the closing.
pub struct Topic {
    pub reason: &'static str,
    pub team: usize, // 0 Support, 1 Sales, 2 Billing
    pub customer: &'static [&'static str],
    pub agent: &'static [&'static str],
    pub wrap_up: &'static str,
}

pub const TOPICS: &[Topic] = &[
    Topic {
        reason: "Order status",
        team: 0,
        customer: &[
            "Hi, I ordered the {product} last week and it still hasn't arrived. Order number {order}.",
            "The tracking page hasn't changed since {date}. Is it lost?",
            "Can you tell me when it will be delivered?",
            "Thanks, I'll keep an eye on the tracking.",
            "It says out for delivery now!",
        ],
        agent: &[
            "Hi {first}, thanks for reaching out! Let me check order {order} for you.",
            "I can see the parcel left our warehouse on {date}; the carrier had a short delay.",
            "It should arrive within 2 business days. I've added a note to prioritise it.",
            "Glad to hear it! Anything else I can help with?",
        ],
        wrap_up: "Carrier delay on {order}; customer informed, delivery expected within 2 days.",
    },
    Topic {
        reason: "Refund",
        team: 2,
        customer: &[
            "I'd like a refund for the {product}, it stopped working after two days.",
            "I paid {amount} on {date}. Order {order}.",
            "Do I need to send it back first?",
            "How long does the refund take to show on my card?",
            "Perfect, thank you for the quick help.",
        ],
        agent: &[
            "I'm sorry to hear that, {first}. I can help with the refund for order {order}.",
            "No need to send it back: I've issued a refund of {amount} to your original payment method.",
            "It usually shows within 3–5 business days depending on your bank.",
            "You're welcome! Have a great day.",
        ],
        wrap_up: "Refund of {amount} issued for {order}; no return needed.",
    },
    Topic {
        reason: "Billing question",
        team: 2,
        customer: &[
            "Why was I charged twice this month? I see two payments of {amount}.",
            "My invoice number is INV-{ticket}.",
            "Can you fix it before the next billing cycle?",
            "Great, thanks for sorting that out.",
        ],
        agent: &[
            "Hi {first}, let me look into invoice INV-{ticket}.",
            "You're right, the second charge was a duplicate authorisation. I've voided it.",
            "The duplicate will disappear from your statement within a few days.",
            "Happy to help!",
        ],
        wrap_up: "Duplicate charge voided on INV-{ticket}.",
    },
    Topic {
        reason: "Technical issue",
        team: 0,
        customer: &[
            "My {product} keeps disconnecting from Wi-Fi every few minutes.",
            "I already tried restarting it twice.",
            "It's on firmware 2.3, is there an update?",
            "The update worked, it's stable now!",
            "Is there a way to stop this from happening again?",
        ],
        agent: &[
            "Sorry about that, {first}! Which firmware version is shown in the app?",
            "Please open Settings → Device → Update; version 2.4 fixes the reconnect loop.",
            "Automatic updates are on by default from 2.4, so you should be covered.",
            "Great news! I'll close this conversation, but just write back if it happens again.",
        ],
        wrap_up: "Wi-Fi reconnect loop fixed by firmware 2.4 update.",
    },
    Topic {
        reason: "Product inquiry",
        team: 1,
        customer: &[
            "Hello! Does the {product} work with Android phones?",
            "What's the difference between the standard and the Pro version?",
            "Is there a discount for ordering three units?",
            "Okay, I'll think about it and get back to you.",
        ],
        agent: &[
            "Hi {first}! Yes, it works with Android 10 and newer.",
            "The Pro version has a longer battery and a two-year warranty instead of one.",
            "For three or more units we offer 10% off. I can send you a quote.",
            "Sure, take your time. The offer is valid for 30 days.",
        ],
        wrap_up: "Answered compatibility and pricing questions; quote offered.",
    },
    Topic {
        reason: "Quote request",
        team: 1,
        customer: &[
            "We'd like a quote for 25 units of the {product} for our office.",
            "Delivery would be to {city}, ideally before {date}.",
            "Can you include installation?",
            "The quote looks good, how do we proceed?",
        ],
        agent: &[
            "Thanks {first}! I'm preparing a quote for 25 units now.",
            "Delivery to {city} before {date} is possible. Installation is included for orders above 20 units.",
            "I've sent the quote to your email, reference Q-{ticket}.",
            "Just reply with the signed quote and we'll schedule delivery.",
        ],
        wrap_up: "Quote Q-{ticket} sent for 25 units, installation included.",
    },
    Topic {
        reason: "Account access",
        team: 0,
        customer: &[
            "I can't log into my account, it says my password is wrong.",
            "I tried the reset link but never got the email.",
            "Could you check which email is on my account?",
            "Got it, I'm in now. Thanks!",
        ],
        agent: &[
            "Hi {first}, I can help you get back in.",
            "The reset email may have landed in spam; I've sent a new one just now.",
            "Your account uses the email ending in @{domain}.",
            "Glad you're back in!",
        ],
        wrap_up: "Password reset email re-sent; customer logged in.",
    },
    Topic {
        reason: "Cancellation",
        team: 2,
        customer: &[
            "Please cancel my subscription, I don't use it anymore.",
            "Will I be charged again on {date}?",
            "Can I keep my data if I come back later?",
            "Okay, please go ahead and cancel.",
        ],
        agent: &[
            "I'm sorry to see you go, {first}. I can cancel it right away.",
            "No further charges: your plan stays active until the end of the current period.",
            "Yes, we keep your data for 12 months in case you return.",
            "Done! You'll get a confirmation email shortly.",
        ],
        wrap_up: "Subscription cancelled at period end; data retained 12 months.",
    },
    Topic {
        reason: "Shipping address change",
        team: 0,
        customer: &[
            "I need to change the delivery address for order {order}.",
            "The new address is in {city}.",
            "Is it too late since it already shipped?",
            "Thank you so much!",
        ],
        agent: &[
            "Let me check if order {order} can still be redirected, {first}.",
            "It hasn't left the warehouse yet, so I've updated the address to {city}.",
            "You'll receive an updated tracking email within the hour.",
            "You're welcome!",
        ],
        wrap_up: "Delivery address for {order} changed before dispatch.",
    },
    Topic {
        reason: "Complaint",
        team: 0,
        customer: &[
            "This is the third time my {product} arrived damaged. I'm really disappointed.",
            "I want to speak to a manager.",
            "What are you going to do about it?",
            "Okay, a replacement with express shipping works for me.",
        ],
        agent: &[
            "I completely understand your frustration, {first}, and I'm sorry.",
            "I've escalated this to our logistics team and flagged your address for extra packaging.",
            "I can send a replacement with express shipping at no cost today.",
            "It's on its way; tracking will follow by email.",
        ],
        wrap_up: "Third damaged delivery; replacement sent express, escalated to logistics.",
    },
];

pub const SMALL_TALK: &[&str] = &[
    "Hello?",
    "Are you there?",
    "Ok",
    "Thanks!",
    "👍",
    "Any update on this?",
];
pub const NOTES: &[&str] = &[
    "Customer is a long-time buyer, be generous with goodwill.",
    "Checked with the warehouse: stock arrives Thursday.",
    "Possible fraud pattern, verify identity before refunding.",
    "Follow up on Monday if there is no reply.",
    "Prefers to be contacted by email after 5 pm.",
    "Escalated to tier 2, ticket linked.",
];
