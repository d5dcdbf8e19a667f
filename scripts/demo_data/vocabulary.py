"""Words that make customers look Indian and industrial: places, people, company names.

Kept as plain tuples (not generated) so the data set reads like a real ledger of an
Indian machinery seller: GST state codes, PIN prefixes and the industrial estates where
small manufacturers actually sit.
"""

from __future__ import annotations

# (name, GST state code, weight, industrial estate, ((city, PIN prefix), ...))
STATES: tuple[tuple[str, str, float, str, tuple[tuple[str, str], ...]], ...] = (
    ("Maharashtra", "27", 16.0, "MIDC", (("Pune", "411"), ("Mumbai", "400"), ("Nashik", "422"),
        ("Nagpur", "440"), ("Aurangabad", "431"), ("Kolhapur", "416"), ("Thane", "400"))),
    ("Gujarat", "24", 13.0, "GIDC", (("Ahmedabad", "380"), ("Rajkot", "360"), ("Surat", "395"),
        ("Vadodara", "390"), ("Bhavnagar", "364"), ("Jamnagar", "361"))),
    ("Tamil Nadu", "33", 11.0, "SIDCO", (("Coimbatore", "641"), ("Chennai", "600"),
        ("Hosur", "635"), ("Madurai", "625"), ("Tiruppur", "641"), ("Salem", "636"))),
    ("Karnataka", "29", 9.0, "KIADB", (("Bengaluru", "560"), ("Mysuru", "570"),
        ("Hubballi", "580"), ("Belagavi", "590"), ("Mangaluru", "575"))),
    ("Uttar Pradesh", "09", 8.0, "UPSIDC", (("Noida", "201"), ("Ghaziabad", "201"),
        ("Kanpur", "208"), ("Lucknow", "226"), ("Agra", "282"), ("Aligarh", "202"))),
    ("Haryana", "06", 6.0, "HSIIDC", (("Gurugram", "122"), ("Faridabad", "121"),
        ("Panipat", "132"), ("Ambala", "133"), ("Manesar", "122"))),
    ("Punjab", "03", 5.0, "Focal Point", (("Ludhiana", "141"), ("Jalandhar", "144"),
        ("Amritsar", "143"), ("Mohali", "160"))),
    ("Rajasthan", "08", 5.0, "RIICO", (("Jaipur", "302"), ("Jodhpur", "342"),
        ("Bhiwadi", "301"), ("Udaipur", "313"), ("Kota", "324"))),
    ("Telangana", "36", 5.0, "IDA", (("Hyderabad", "500"), ("Warangal", "506"),
        ("Karimnagar", "505"))),
    ("West Bengal", "19", 4.0, "Industrial Estate", (("Kolkata", "700"), ("Howrah", "711"),
        ("Durgapur", "713"), ("Siliguri", "734"), ("Asansol", "713"))),
    ("Madhya Pradesh", "23", 4.0, "AKVN", (("Indore", "452"), ("Pithampur", "454"),
        ("Bhopal", "462"), ("Gwalior", "474"), ("Jabalpur", "482"))),
    ("Andhra Pradesh", "37", 3.0, "APIIC", (("Visakhapatnam", "530"), ("Vijayawada", "520"),
        ("Guntur", "522"), ("Nellore", "524"))),
    ("Delhi", "07", 3.0, "Okhla Industrial Area", (("New Delhi", "110"), ("Delhi", "110"))),
    ("Kerala", "32", 2.0, "KINFRA", (("Kochi", "682"), ("Thiruvananthapuram", "695"),
        ("Kozhikode", "673"), ("Thrissur", "680"))),
    ("Odisha", "21", 2.0, "IDCO", (("Bhubaneswar", "751"), ("Cuttack", "753"),
        ("Rourkela", "769"))),
    ("Jharkhand", "20", 2.0, "Adityapur Industrial Area", (("Jamshedpur", "831"),
        ("Ranchi", "834"), ("Dhanbad", "826"), ("Bokaro", "827"))),
    ("Chhattisgarh", "22", 1.5, "CSIDC", (("Raipur", "492"), ("Bhilai", "490"),
        ("Bilaspur", "495"))),
    ("Uttarakhand", "05", 1.5, "SIIDCUL", (("Rudrapur", "263"), ("Haridwar", "249"),
        ("Dehradun", "248"))),
    ("Bihar", "10", 1.0, "BIADA", (("Patna", "800"), ("Muzaffarpur", "842"),
        ("Hajipur", "844"))),
    ("Himachal Pradesh", "02", 1.0, "Industrial Area", (("Baddi", "173"), ("Shimla", "171"),
        ("Solan", "173"))),
    ("Goa", "30", 1.0, "Verna Industrial Estate", (("Verna", "403"), ("Margao", "403"),
        ("Panaji", "403"))),
    ("Assam", "18", 1.0, "Industrial Estate", (("Guwahati", "781"), ("Dibrugarh", "786"))),
    ("Jammu and Kashmir", "01", 0.5, "SIDCO", (("Jammu", "180"), ("Srinagar", "190"))),
)  # fmt: skip

FIRST_NAMES = (
    "Aarav", "Vivaan", "Aditya", "Arjun", "Rohan", "Rahul", "Amit", "Suresh", "Ramesh",
    "Mahesh", "Rajesh", "Sanjay", "Vikram", "Anil", "Sunil", "Manoj", "Deepak", "Prakash",
    "Karthik", "Venkatesh", "Srinivas", "Ganesh", "Harish", "Naveen", "Pradeep", "Imran",
    "Farhan", "Gurpreet", "Harpreet", "Jaspreet", "Joseph", "Thomas", "Arvind", "Nitin",
    "Vijay", "Ajay", "Ravi", "Kiran", "Mohan", "Sachin", "Priya", "Ananya", "Diya",
    "Kavya", "Sneha", "Pooja", "Neha", "Anjali", "Lakshmi", "Meena", "Sunita", "Rekha",
    "Divya", "Swati", "Shalini", "Nandini", "Aishwarya", "Fatima", "Simran", "Ritu",
)  # fmt: skip

LAST_NAMES = (
    "Sharma", "Verma", "Gupta", "Agarwal", "Patel", "Shah", "Mehta", "Desai", "Joshi",
    "Kulkarni", "Deshpande", "Patil", "Pawar", "Jadhav", "Reddy", "Naidu", "Rao", "Iyer",
    "Iyengar", "Nair", "Menon", "Pillai", "Krishnan", "Subramanian", "Banerjee", "Chatterjee",
    "Mukherjee", "Das", "Ghosh", "Bose", "Singh", "Chauhan", "Rathore", "Yadav", "Mishra",
    "Tiwari", "Pandey", "Dubey", "Saxena", "Srivastava", "Kapoor", "Malhotra", "Khanna",
    "Arora", "Bhatia", "Gill", "Sandhu", "Grewal", "Khan", "Qureshi", "Ansari", "Fernandes",
    "D'Souza", "Thakur", "Chaudhary", "Mahajan", "Bhat", "Hegde", "Shetty", "Kamath",
)  # fmt: skip

SB_INDUSTRIES = (
    "Engineering Works", "Fabricators", "Auto Components", "Precision Tools", "Industries",
    "Machine Tools", "Castings", "Forgings", "Agro Industries", "Plastics", "Hydraulics",
    "Metal Works", "Enterprises", "Traders", "Steel Fabrication", "Packaging", "Textiles",
    "Pumps and Motors", "Electricals", "Tool Room", "Sheet Metal Works", "Engineers",
)  # fmt: skip
SB_PREFIXES = (
    "Shree Ganesh", "Sai", "Balaji", "Laxmi", "Om", "Jai Bharat", "Shiv Shakti", "Maruti",
    "Gayatri", "Mahalaxmi", "Durga", "Vishwakarma", "Annapurna", "Sri Venkateswara",
    "Murugan", "Guru Nanak", "New India", "Bharat", "Sunrise", "Perfect",
)  # fmt: skip
SB_SUFFIXES = ("", "", "", " Pvt Ltd", " LLP", " & Co.", " & Sons")
ENT_PREFIXES = (
    "Deccan", "Sahyadri", "Narmada", "Kaveri", "Godavari", "Ganga", "Himalaya", "Konark",
    "Vindhya", "Aravali", "Indus", "Coromandel", "Malabar", "Satpura", "Nilgiri", "Tapti",
    "Brahmaputra", "Kanchenjunga", "Chola", "Vijayanagar",
)  # fmt: skip
ENT_INDUSTRIES = (
    "Steel", "Auto Parts", "Heavy Engineering", "Cements", "Power Systems", "Textile Mills",
    "Fertilisers", "Paper Mills", "Chemicals", "Infrastructure", "Motors", "Polymers",
    "Sugar Mills", "Railway Equipment", "Defence Systems", "Pharma Machinery",
)  # fmt: skip
ENT_SUFFIXES = (" Limited", " Ltd", " Industries Limited", " Pvt Ltd")
# (name template, email local part); {city} / {state} are filled in.
GOV_BODIES = (
    ("Public Works Department, {city}", "pwd"),
    ("{city} Municipal Corporation", "mc"),
    ("Government ITI, {city}", "iti"),
    ("Government Polytechnic, {city}", "gpt"),
    ("Irrigation Division, {city}", "irrigation"),
    ("District Water Supply Office, {city}", "water"),
    ("Railway Carriage Workshop, {city}", "workshop"),
    ("{state} State Road Transport Corporation, {city} Depot", "srtc"),
    ("Agricultural Engineering Department, {city}", "agri"),
    ("{state} Power Generation Corporation", "power"),
)
EMAIL_DOMAINS = ("gmail.com", "yahoo.co.in", "rediffmail.com", "outlook.com", "gmail.com")
BUSINESS_MAILBOXES = ("purchase", "accounts", "info", "sales", "stores", "office")
BUSINESS_TLDS = ("in", "co.in", "com")
ROADS = (
    "MG Road", "Station Road", "Gandhi Nagar", "Nehru Chowk", "Tilak Road", "Shivaji Nagar",
    "Patel Colony", "Ambedkar Road", "Rajaji Street", "Civil Lines", "Sadar Bazaar",
    "Market Yard Road", "Ring Road", "Nehru Nagar", "Subhash Marg",
)  # fmt: skip
LANDMARKS = (
    "Near Bus Stand", "Opp. Railway Station", "Near Water Tank", "Behind Petrol Pump",
    "Near SBI Branch", "Opp. Telephone Exchange", "Near Hanuman Temple", "Near Toll Naka",
)  # fmt: skip
