import { PlaceholderPage } from '../../components/PlaceholderPage';

export default function HomePage() {
  return <PlaceholderPage title={{ zh: '考核评议工作台', en: 'Evaluation committee' }} />;
}
